"""Document → other formats' text. `html.HtmlSerialiser` is the one Document → HTML serialiser;
the EPUB, PDF, single-file HTML and Wagtail writers configure or subclass it."""
