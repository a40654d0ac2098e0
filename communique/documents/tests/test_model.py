

def test_edition_statement_reads_as_words():
    from communique.documents.model import Metadata

    assert Metadata(title="T", edition="1").edition_statement == "First edition"
    assert Metadata(title="T", edition="3").edition_statement == "Third edition"
    assert Metadata(title="T", edition="Revised edition").edition_statement == "Revised edition"
    assert Metadata(title="T", edition="2026 update").edition_statement == "Edition 2026 update"
    assert Metadata(title="T").edition_statement == ""
