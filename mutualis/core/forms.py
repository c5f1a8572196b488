"""Form fields every app shares."""

from django import forms

from mutualis.core.validators import validate_business_date


class BusinessDateField(forms.DateField):
    """A date of the programme's business (a payment, a deadline, a session): refused with a
    French message outside 2000–2100, as the API and the imports refuse it
    (`core.validators.date_problem`). Every date a form asks for is one of these."""

    default_validators = [validate_business_date]


class ListSelect(forms.Select):
    """Django's select for the filters above a list, its options written inline in the widget's
    template (`core/widgets/select.html`) instead of one template include per option: the same
    HTML, about a third cheaper to render, which every request of a list page pays."""

    template_name = "core/widgets/select.html"
