"""For the numbering and sealing tests: a register's serials (1, 2, 3, ... with none missing or
repeated), and two sealers run at once."""

from sinergi.supervisors.models import Report


def serials_of(register: str) -> list[int]:
    return sorted(Report.objects.filter(register=register).values_list("serial", flat=True))


def gap_free(register: str) -> bool:
    serials = serials_of(register)
    return serials == list(range(1, len(serials) + 1))


def seal_with_two_sealers(batch: int) -> list[Exception]:
    """Two threads each running `sealing.seal_pending(wait=True)` at once, in batches of `batch`
    (PostgreSQL, committed data); the errors they raised."""
    import threading

    from django.db import connections

    from sinergi.supervisors import sealing

    start, errors = threading.Barrier(2), []

    def seal():
        try:
            start.wait()
            sealing.seal_pending(wait=True)
        except Exception as error:  # reported to the caller
            errors.append(error)
        finally:
            connections.close_all()

    sealing.BATCH, saved = batch, sealing.BATCH
    try:
        threads = [threading.Thread(target=seal) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        sealing.BATCH = saved
    return errors
