from django.core.management.base import BaseCommand

from sinergi.accounts import demo as accounts_demo
from sinergi.cases import demo as cases_demo
from sinergi.coordination import demo as coordination_demo
from sinergi.elections.presets import PRESETS
from sinergi.elections.services import install_preset
from sinergi.guard import demo as guard_demo
from sinergi.logistics import demo as logistics_demo
from sinergi.notifications import demo as notifications_demo
from sinergi.regions import demo as regions_demo
from sinergi.risk import demo as risk_demo
from sinergi.stations import demo as stations_demo
from sinergi.supervisors import demo as supervisors_demo
from sinergi.visits import demo as visits_demo


class Command(BaseCommand):
    help = "Load the Klungkung demo: regions, the election presets, agencies, personas and demo data. Idempotent."

    def handle(self, *args, **options):
        self.stdout.write(f"Wilayah Klungkung: {regions_demo.load_klungkung().summary()}")
        elections = {slug: install_preset(actor=None, slug=slug) for slug in PRESETS}
        self.stdout.write(f"Pemilihan: {', '.join(elections)}.")
        users = accounts_demo.seed(regions_demo.KLUNGKUNG_CODE)
        for slug in stations_demo.TARGETS:
            result = stations_demo.seed(elections[slug], regions_demo.KLUNGKUNG_CODE)
            self.stdout.write(f"TPS {slug}: {result.summary()}")
        for election in elections.values():
            changed = risk_demo.seed(election)
            self.stdout.write(f"Daftar periksa TPS rawan {election.slug}: {changed} jawaban berubah.")
            guard_demo.seed(election)
            if supervisors := supervisors_demo.seed(election):
                self.stdout.write(f"PTPS {election.slug}: {supervisors} (fiktif).")
            logistics_demo.seed(election)
            if logistics_demo.seed_plan(election):
                self.stdout.write(f"Rencana distribusi {election.slug} disusun.")
            handovers = logistics_demo.seed_custody(election)
            if handovers:
                self.stdout.write(f"Serah terima logistik {election.slug}: {handovers} dicatat.")
            if checked_in := guard_demo.seed_voting_day(election):
                self.stdout.write(f"Pos pengamanan {election.slug}: ditetapkan, {checked_in} pos melapor sebelum pukul 07.00 (demo).")
            if cases := cases_demo.seed(election):
                self.stdout.write(f"Perkara {election.slug}: {cases} (demo).")
            if recipients := notifications_demo.seed(election):
                self.stdout.write(f"Siaran Bawaslu ke PTPS Nusa Penida {election.slug}: {recipients} penerima (demo).")
        if coordination_demo.seed():
            self.stdout.write("Rapat koordinasi 16 Januari 2024 di Mapolres Klungkung dicatat (demo).")
        for election in elections.values():
            if visits := visits_demo.seed(election):
                self.stdout.write(f"Kunjungan bersama ke TPS Nusa Penida {election.slug}: {visits} (demo).")
        self.stdout.write("")
        self.stdout.write(f"Akun demo (kata sandi untuk semua: {accounts_demo.DEMO_PASSWORD}):")
        for user in users:
            self.stdout.write(f"  {user.username:<22} {user.first_name} — {user.agency}")
        self.stdout.write(f"  {supervisors_demo.FIELD_ACCOUNT:<22} PTPS TPS 17 Ped (demo) — aplikasi lapangan /lapangan/")
        for officer in guard_demo.field_accounts():
            self.stdout.write(f"  {officer.username:<22} {officer.first_name} — lapor pos pengamanan /pemilihan/pemilu-2024/pengamanan/lapangan/")
