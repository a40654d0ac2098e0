from __future__ import annotations

from decimal import Decimal

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


# ---- invitations ------------------------------------------------------------------------


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Author's email address")
    name = forms.CharField(label="Author's name", max_length=200, required=False,
                           help_text="Used to greet them in the invitation.")
    message = forms.CharField(label="A note to add (optional)", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class AcceptInvitationForm(forms.Form):
    """The invited author chooses a user name and password; Django's password rules apply."""

    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    username = forms.RegexField(label="User name", max_length=150, regex=r"^[\w.@+-]+$",
                                help_text="Letters, digits and @ . + - _ only; you sign in with it.",
                                error_messages={"invalid": "Use only letters, digits and @ . + - _ in the user name."})
    password1 = forms.CharField(label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label="Password again", strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, email="", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_username(self):
        from django.contrib.auth import get_user_model

        name = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=name).exists():
            raise forms.ValidationError("That user name is taken; choose another.")
        return name

    def clean(self):
        from django.contrib.auth import get_user_model, password_validation

        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords differ.")
        elif p1:
            probe = get_user_model()(username=data.get("username") or "", email=self.email,
                                     first_name=data.get("first_name") or "", last_name=data.get("last_name") or "")
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


# ---- prices and exchange rates ------------------------------------------------------------


class PriceOverridesForm(forms.Form):
    """One optional price per store and format, in the store's own currency; empty means
    "convert from the USD price"."""

    def __init__(self, *args, book=None, rates=None, **kwargs):
        super().__init__(*args, **kwargs)
        from communique.kdp import facts, pricing

        self.book = book
        overrides = (book.price_overrides if book is not None else None) or {}
        self.rows = []
        plan = 35 if book is not None and book.public_domain else 70
        for code, mp in facts.MARKETPLACES.items():
            row = {"code": code, "domain": mp.domain, "currency": mp.currency}
            for fmt, sells, usd in (("ebook", mp.ebook.value, book.price_usd if book else None),
                                    ("paperback", mp.paperback.value, book.paperback_price_usd if book else None)):
                if code == "US":  # the primary store's prices are the book's USD prices (Details)
                    row[fmt], row[f"{fmt}_primary"] = None, usd if sells else None
                    continue
                if not sells:
                    row[fmt] = None
                    continue
                name = f"{fmt}_{code}"
                converted = ""
                if usd is not None and code != "US":
                    vat = facts.EBOOK_VAT if fmt == "ebook" else facts.PRINT_VAT
                    raw = pricing._to_market(usd, "US", code, vat, rates)
                    converted = str(pricing.charm(raw, mp.currency))
                elif usd is not None:
                    converted = str(usd)
                step = facts.MINOR_UNIT[mp.currency]
                self.fields[name] = forms.DecimalField(
                    label=f"{mp.domain} {fmt} price ({mp.currency})", required=False, min_value=step,
                    max_digits=9, decimal_places=max(0, -step.as_tuple().exponent),
                    initial=(overrides.get(fmt) or {}).get(code),
                    widget=forms.NumberInput(attrs={"step": str(step), "placeholder": converted,
                                                    "inputmode": "decimal"}))
                self.fields[name].plan = plan
                row[fmt] = name
                row[f"{fmt}_converted"] = converted
            self.rows.append(row)

    def bound_rows(self):
        for row in self.rows:
            yield {**row, **{f"{fmt}_field": self[row[fmt]] if row.get(fmt) else None
                             for fmt in ("ebook", "paperback")}}

    def clean(self):
        from communique.kdp import facts, pricing

        data = super().clean()
        for name, field in self.fields.items():
            value = data.get(name)
            if value is None or not name.startswith("ebook_"):
                continue
            code = name.split("_", 1)[1]
            cur = facts.MARKETPLACES[code].currency
            # An eBook price outside the plan's widest range is refused here, naming the range;
            # the paperback minimum needs the page count, so the preflight checks it.
            band = pricing.ebook_band(cur, field.plan, 0)
            if band.value.low is not None and not band.needs_verify:
                for flag in pricing.band_flags(code, pricing.money(value, cur), band, f"{field.plan}%"):
                    self.add_error(name, flag.message)
        return data

    def overrides(self) -> dict:
        out = {"ebook": {}, "paperback": {}}
        for name, value in self.cleaned_data.items():
            if value is not None:
                fmt, code = name.split("_", 1)
                out[fmt][code] = str(value)
        return {k: v for k, v in out.items() if v}


class ExchangeRateForm(forms.Form):
    """Every currency's rate on one form: editors type what their bank or newspaper gives."""

    as_of = forms.DateField(label="Rates as of", widget=forms.DateInput(attrs={"type": "date"}),
                            help_text="The date the rates below are from.")

    def __init__(self, *args, rates=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import EXCHANGE_CURRENCIES

        for code, _label in EXCHANGE_CURRENCIES:
            self.fields[f"rate_{code}"] = forms.DecimalField(
                label=f"1 USD in {code}", max_digits=12, decimal_places=4, min_value=Decimal("0.0001"),
                initial=rates.per_usd.get(code) if rates is not None else None,
                widget=forms.NumberInput(attrs={"step": "0.0001", "inputmode": "decimal"}))

    def clean_as_of(self):
        from django.utils import timezone

        value = self.cleaned_data["as_of"]
        if value > timezone.localdate():
            raise forms.ValidationError("The rates cannot be from the future.")
        return value

    def rate_fields(self):
        return [self[name] for name in self.fields if name.startswith("rate_")]


# ---- finished cover -------------------------------------------------------------------------


class CoverForm(forms.Form):
    file = forms.FileField(
        label="Finished cover",
        help_text="A front cover image (JPEG or PNG, ideally 1600 × 2560 px) for the eBook and the front of the "
                  "paperback, or a designer's full-wrap PDF (back, spine and front with bleed) for the paperback. "
                  "At most 40 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}))
