from fontTools.ttLib import TTFont

from communique.editions.fonts import FONTS_DIR, LICENSE_FILE, body_family, fonts_for, heading_family


def test_every_face_exists_and_is_a_font():
    for lang in ("en", "ur", "ar", "fa"):
        for face in fonts_for(lang):
            assert face.path.is_file(), face.path
            name = TTFont(face.path, lazy=True)["name"].getDebugName(1)
            assert name == face.family, (face.path, name)


def test_script_faces_per_language():
    assert fonts_for("ur")[0].family == "Noto Nastaliq Urdu"
    assert fonts_for("ar-EG")[0].family == "Noto Naskh Arabic"
    latin = {f.family for f in fonts_for("en")}
    assert latin == {"Noto Serif", "Noto Sans"}
    assert {(f.weight, f.style) for f in fonts_for("en") if f.family == "Noto Serif"} == {
        ("normal", "normal"), ("normal", "italic"), ("bold", "normal"), ("bold", "italic")}
    assert body_family("ur").startswith('"Noto Nastaliq Urdu"') and heading_family("en").startswith('"Noto Sans"')


def test_license_shipped_and_size_reasonable():
    text = LICENSE_FILE.read_text()
    assert "SIL OPEN FONT LICENSE Version 1.1" in text and "PERMISSION & CONDITIONS" in text
    total = sum(p.stat().st_size for p in FONTS_DIR.glob("*.ttf"))
    assert total < 6 * 1024 * 1024, total
