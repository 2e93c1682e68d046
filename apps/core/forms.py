from django.core.exceptions import ValidationError


def add_service_errors(form, exc: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Show a service's ValidationError on the form: each message on its field (or on the field `aliases`
    maps it to), the rest above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        field = (aliases or {}).get(field, field)
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def error_text(form) -> str:
    """All of a form's errors as one line, for a flash message."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def flash_service(request, form, write, success) -> bool:
    """For small POST-then-redirect actions: when the form (if any) is valid, call `write(**cleaned_data)`;
    flash the form's or the service's errors, or `success(result)`. True when the write happened."""
    from django.contrib import messages

    if form is not None and not form.is_valid():
        messages.error(request, error_text(form))
        return False
    try:
        result = write(**(form.cleaned_data if form is not None else {}))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, success(result))
    return True
