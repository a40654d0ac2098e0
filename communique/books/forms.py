from __future__ import annotations

from django import forms
from django.forms import inlineformset_factory

from . import validators as v
from .models import Book, BookContributor
from .services import MAX_MANUSCRIPT_BYTES


class LinesField(forms.CharField):
    """A list edited as one item per line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "\n".join(value)
        return value

    def to_python(self, value):
        return v.split_list(super().to_python(value))


class BookForm(forms.ModelForm):
    keywords = LinesField(required=False, help_text=f"One per line. Up to {v.KEYWORDS_MAX} keywords or short phrases, "
                          f"each at most {v.KEYWORD_CHARS_MAX} characters. No other authors' names, no “bestseller”, "
                          "no “free”, no Amazon programme names.")
    categories = LinesField(required=False, help_text=f"One per line, up to {v.CATEGORIES_MAX}, as named in Amazon's "
                            "category browser, e.g. “Political Science / International Relations / Diplomacy”.")

    class Meta:
        model = Book
        fields = [
            "title", "subtitle", "series", "series_number", "edition", "description", "keywords", "categories",
            "language", "reading_age_min", "reading_age_max", "publication_date", "publisher",
            "isbn_ebook", "isbn_paperback", "public_domain", "rights",
            "trim", "paper", "bleed", "price_usd", "paperback_price_usd",
            "dedication", "foreword", "about_the_author", "acknowledgements",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8, "maxlength": v.DESCRIPTION_MAX}),
            "publication_date": forms.DateInput(attrs={"type": "date"}),
            "dedication": forms.Textarea(attrs={"rows": 2}),
            "foreword": forms.Textarea(attrs={"rows": 6}),
            "about_the_author": forms.Textarea(attrs={"rows": 4}),
            "acknowledgements": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "title": "Exactly as on the cover. Title and subtitle together: at most 200 characters.",
            "subtitle": "Optional. Counts towards the 200-character limit with the title.",
            "isbn_paperback": "13 digits starting 978 or 979; hyphens are fine. Must differ from the eBook ISBN.",
            "price_usd": "The 70% royalty needs 2.99–9.99 USD; outside it KDP pays 35%.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and "publisher" not in (kwargs.get("initial") or {}):
            # The publication's own name from its settings, not the software's.
            from communique.core.publication import publication_name

            self.initial["publisher"] = publication_name()

    def clean_keywords(self):
        items = self.cleaned_data.get("keywords") or []
        v.validate_keywords(items)
        return items

    def clean_categories(self):
        items = self.cleaned_data.get("categories") or []
        v.validate_categories(items)
        return items

    def clean_description(self):
        return v.validate_description(self.cleaned_data.get("description", ""))


ContributorFormSet = inlineformset_factory(
    Book, BookContributor, fields=["name", "role"], extra=2, can_delete=True,
    help_texts={"role": "KDP's contributor roles; Amazon lists contributors in this order."},
)


class ManuscriptForm(forms.Form):
    file = forms.FileField(
        label="Manuscript file",
        help_text=f"Word (.docx), Markdown (.md) or a .zip of one Markdown file with its images; at most "
                  f"{MAX_MANUSCRIPT_BYTES // 1048576} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.md,.markdown,.txt,.zip"}),
    )
