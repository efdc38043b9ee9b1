from django import template

register = template.Library()


@register.filter
def item(counts: dict, code: str) -> int:
    """`totals.items|item:code`: the count of one item (0 when absent)."""
    return counts.get(code, 0)
