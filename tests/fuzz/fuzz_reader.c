/*
 * fuzz_reader.c — libFuzzer target for one spreadsheet reader, chosen at
 * build time (-DFUZZ_READER=reader_xlsx ...), so each format's corpus and
 * coverage stay its own.  Without it, grid_read(): sniffing and ZIPs.
 */
#include <stddef.h>
#include <stdint.h>

#include "grid.h"
#include "reader.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct limits l;
	char err[GRID_ERRLEN];

	limits_default(&l);
	/* Small limits reach the limit paths with small inputs. */
	l.sheet_cells = 10000;
	l.zip_inflated = 4u * 1024 * 1024;
#ifdef FUZZ_READER
	grid_free(FUZZ_READER.read(data, len, &l, err, sizeof(err)));
#else
	/*
	 * Debian's freexl 1.0.6 over-reads a stack buffer on some .xls files
	 * (tests/fixtures/hostile/freexl-overread.xls); the parser child
	 * contains it, but here ASan would stop every run on it.  The .xls
	 * reader's own code is reached through fuzz_xls's corpus instead.
	 */
	if (len >= 2 && data[0] == 0xd0 && data[1] == 0xcf)
		return 0;
	grid_free(grid_read(data, len, &l, err, sizeof(err)));
#endif
	return 0;
}
