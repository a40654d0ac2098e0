"""Translation as a transform of the one Document: segments out, segments in, codes checked.

`segment_document` cuts a Document into units (paragraph level) with sentence segments whose inline
marks and note references are protected codes; engines, the memory, people and exchange files fill
the targets; `reassemble` builds the translated Document that every writer already knows."""
