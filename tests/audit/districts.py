"""A second district for the partition tests: Kota Denpasar (51.71) with one kelurahan and one TPS
of the given election, beside the base data's Klungkung (51.05)."""

from sinergi.regions.services import load_regions
from sinergi.stations.models import Station

DENPASAR = "51.71"
SESETAN = "51.71.01.1001"
PLACES = b"code,name,kind,lat,lon,source\n51.71,Denpasar,kota,,,t\n51.71.01,Denpasar Selatan,kecamatan,,,t\n51.71.01.1001,Sesetan,kelurahan,,,t\n"


def denpasar_station(election) -> Station:
    """Denpasar's regions (loaded through the audited service) and TPS 1 of Sesetan."""
    load_regions(actor=None, files=[("denpasar.csv", PLACES)])
    return Station.objects.create(election=election, village_id=SESETAN, number=1, voters=250)
