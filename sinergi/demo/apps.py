from django.apps import AppConfig


class DemoConfig(AppConfig):
    """`sinergi demo`: the Klungkung demo, composed of every app's own demo module. It sits above
    every app (it imports them all) so that core can sit below them."""

    name = "sinergi.demo"
    label = "demo"
