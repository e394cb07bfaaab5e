"""Seed data: the demo data set and the synthetic data generator.

``seeds/data/*.json`` hold the demo data set (real public facts, each from a cited source),
one file per record kind; ``seeds.loader`` reads and checks them (the record types are in
``seeds.records``) and ``seeds.demo`` loads them into the database (``flask demo load``).
``seeds.synth`` builds a deterministic synthetic data set of any size (``flask demo synth``).
"""
