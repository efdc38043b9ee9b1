"""Outbound SMS (core/outbound_sms.py): the console backend writes the message to the log; the HTTP
backend hands it to the gateway with the shared token, and a refusal or no answer is an error."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from sinergi.core.outbound_sms import SmsError, international, send_sms


class Gateway(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        Gateway.received.append((self.path, self.headers["X-Sinergi-Token"], parse_qs(body)))
        self.send_response(Gateway.status)
        self.end_headers()
        self.wfile.write(b'{"status": "ok"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Gateway.received, Gateway.status = [], 200
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/kirim"
    settings.SMS_GATEWAY_TOKEN = "rahasia-gateway"
    yield Gateway
    server.shutdown()
    server.server_close()


def test_numbers_are_sent_in_international_form():
    assert international("0812-3456 789") == "+628123456789"
    assert international("628123456789") == "+628123456789"
    assert international("+628123456789") == "+628123456789"


def test_the_console_backend_writes_the_message_and_sends_nothing(capsys):
    send_sms("081234567890", "Kode: ABCDE-FGHJK")
    assert capsys.readouterr().out.startswith("SMS ke +6281234567890:\nKode: ABCDE-FGHJK\n")


def test_the_http_backend_posts_to_the_gateway_with_the_token(gateway):
    send_sms("081234567890", "Kode: ABCDE-FGHJK")
    [(path, token, form)] = gateway.received
    assert (path, token, form) == ("/kirim", "rahasia-gateway", {"to": ["+6281234567890"], "text": ["Kode: ABCDE-FGHJK"]})


def test_a_gateway_refusal_or_silence_is_an_error(gateway, settings):
    gateway.status = 503
    with pytest.raises(SmsError, match="menjawab 503"):
        send_sms("081234567890", "x")
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/tidak-ada"  # nothing listens on the discard port
    with pytest.raises(SmsError, match="tidak terjangkau"):
        send_sms("081234567890", "x")
