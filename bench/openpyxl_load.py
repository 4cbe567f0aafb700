#!/usr/bin/python3
"""openpyxl_load.py — the yardstick: python3-openpyxl reading the same replies.

    /usr/bin/python3 bench/openpyxl_load.py [--mode default|read_only|both] FILE...

For every file: openpyxl.load_workbook(path) (default mode, as a person would
open it; read_only=True as the second figure), then every cell value of the
first sheet is read.  A few files are read untimed first.  In default mode
the time spent in load_workbook alone is also kept: "merely loading" the
files, the yardstick for `surveyd import`.  CPU time (this process) is given
too: it does not move with other work on the machine.

Prints one line of key=value pairs per mode, for bench/run.sh.
"""

import argparse
import sys
import time
import warnings

import openpyxl


def read_all(paths, read_only):
    """Seconds for everything, in load_workbook alone, CPU seconds, cells."""
    load = 0.0
    cells = 0
    c0 = time.process_time()
    t0 = time.perf_counter()
    for p in paths:
        t1 = time.perf_counter()
        wb = openpyxl.load_workbook(p, read_only=read_only)
        load += time.perf_counter() - t1
        ws = wb.worksheets[0]
        for row in ws.iter_rows(values_only=True):
            for v in row:
                if v is not None:
                    cells += 1
        if read_only:
            wb.close()
    return (time.perf_counter() - t0, load, time.process_time() - c0,
            cells)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mode", choices=("default", "read_only", "both"),
                    default="both")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args(argv)
    # openpyxl warns about data validation and the like; not our business.
    warnings.simplefilter("ignore")
    n = len(a.files)
    # Warm-up, as bench_parse has: imports, caches, the page cache.
    read_all(a.files[:10], False)
    read_all(a.files[:10], True)
    modes = ("default", "read_only") if a.mode == "both" else (a.mode,)
    for mode in modes:
        total, load, cpu, cells = read_all(a.files, mode == "read_only")
        print(f"mode={mode} files={n} total_s={total:.4f} load_s={load:.4f} "
              f"cpu_s={cpu:.4f} rate={n / total:.2f} "
              f"load_rate={n / load:.2f} cpu_rate={n / cpu:.2f} "
              f"cells_per_file={cells / n:.1f}")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
