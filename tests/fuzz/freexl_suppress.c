/*
 * freexl_suppress.c — the sanitizer reports that belong to Debian's
 * freexl 1.0.6, not to surveyd, for every target that can reach it (an
 * .xls reply, an .xls definition, an .xls zipped in a mail): its memcpy
 * past a heap block and iconv() over-read inside interceptors, and its
 * leaks on damaged files (tests/fuzz/README).  In production the parser
 * child's limits contain them.
 */
const char	*__asan_default_suppressions(void);
const char	*__lsan_default_suppressions(void);

const char *
__asan_default_suppressions(void)
{
	return "interceptor_via_lib:libfreexl.so\n";
}

const char *
__lsan_default_suppressions(void)
{
	return "leak:libfreexl.so\n";
}
