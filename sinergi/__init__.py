"""Sinergi: shared election supervision and security operations for Bawaslu, Polres, KPU and partners."""
