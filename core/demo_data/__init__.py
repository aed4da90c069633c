"""Demo data for LoanDesk, deterministic for a given seed.

- :mod:`vocab`: names, cities and streets, mobile prefixes, the demo catalog;
- :mod:`generator`: one realistic application at a time, opening-hours timestamps;
- :mod:`single_pc`, :mod:`single_fraud`: one PC's data (``seed-demo``);
- :mod:`world`, :mod:`people`, :mod:`planted`: many stores and PCs in time order, with
  families, shared buildings, repeat customers and cross-store planted patterns;
- :mod:`save_world`, :mod:`truth`: saving a world to one data folder per PC, the head
  office's store register and the truth file (``seed-demo --stores N``).

Nothing here imports Qt; every module imports only the ones listed before it.
"""
