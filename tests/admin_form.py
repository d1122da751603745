"""Post an admin form back as a browser would: the values the page shows, with a few fields changed."""


def admin_form_data(response, **changes) -> dict:
    """The POST data of the admin form rendered in `response` (change or history page), updated by `changes`.

    Unchecked checkboxes are left out and empty values sent as "", as a browser does; inline formsets are
    sent with their management forms so the admin accepts the post.
    """
    data = {}
    form = response.context["adminform"].form
    for bound in form:
        if bound.field.disabled:
            continue
        value = bound.value()
        if value is None or value is False:
            if value is None:
                data[bound.html_name] = ""
            continue
        data[bound.html_name] = "on" if value is True else value
    for formset in response.context.get("inline_admin_formsets", []):
        management = formset.formset.management_form
        for bound in management:
            data[bound.html_name] = bound.value()
        for inline_form in formset.formset.forms:
            for bound in inline_form:
                value = bound.value()
                if value is not None and value is not False:
                    data[bound.html_name] = "on" if value is True else value
    data.update(changes)
    return data
