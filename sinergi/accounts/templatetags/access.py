from django import template

from sinergi.accounts.permissions import can as user_can

register = template.Library()


@register.filter
def can(user, perm: str) -> bool:
    """`{% if user|can:"stations.import" %}` shows an action only to those who may take it."""
    return user_can(user, perm)
