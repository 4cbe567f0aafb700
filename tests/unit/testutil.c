/*
 * testutil.c — shared fixtures for the daemon's unit tests.
 */
#include <stdlib.h>
#include <string.h>

#include "problem.h"
#include "testutil.h"

/*
 * libxlsxwriter 1.1.4 copies a list validation's formula twice and frees
 * one copy, a few bytes per dropdown (fixed upstream since): every test
 * that writes a form meets it.  The library has no frame pointers, so
 * LeakSanitizer's stack ends in lxw_strdup; valgrind's fuller one is
 * suppressed in tests/valgrind.supp.
 */
const char	*__lsan_default_suppressions(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:lxw_strdup\n";
}

char *
tu_tmpdir(void)
{
	char *d = g_dir_make_tmp("surveyd-test-XXXXXX", NULL);

	ck_assert_ptr_nonnull(d);
	return d;
}

void
tu_cleanup(char *dir)
{
	char *cmd = g_strdup_printf("rm -rf '%s'", dir);

	ck_assert_int_eq(system(cmd), 0);
	g_free(cmd);
	g_free(dir);
}

char *
tu_write(const char *dir, const char *name, const char *text)
{
	char *path = g_build_filename(dir, name, NULL), *parent;

	parent = g_path_get_dirname(path);
	g_mkdir_with_parents(parent, 0700);
	g_free(parent);
	ck_assert(g_file_set_contents(path, text, -1, NULL));
	return path;
}

struct definition *
tu_definition(const char *dir)
{
	struct problems p;
	struct definition *d;
	char *folder = g_build_filename(dir, "form", NULL), *f;

	f = tu_write(folder, "survey.csv",
	    "type,name,label::vi,label::en,hint::vi,required,constraint,"
	    "constraint_message::vi\n"
	    "note,sec1,I. Hoạt động,I. Activities,,,,\n"
	    "integer,count,Số chương trình phối hợp,Programmes signed,chương trình,yes,. >= 0 and . <= 1000,Từ 0 đến 1000\n"
	    "decimal,budget,Kinh phí hoạt động,Budget,triệu đồng,,. >= 0,\n"
	    "decimal,share,Tỷ lệ kinh phí từ ngân sách tỉnh,Share from the province,%,,. >= 0 and . <= 100,\n"
	    "date,started,Ngày bắt đầu,Start date,,,,\n"
	    "text,contact,Điện thoại liên hệ,Phone,,,\"regex(., '^[0-9 ]{8,15}$')\",Số điện thoại 8-15 chữ số\n"
	    "select_one yes_no,has_rule,Có quy chế phối hợp,Has a regulation,,yes,,\n"
	    "select_multiple partner,partners,Các cơ quan đã ký kết,Partners,,,,\n");
	g_free(f);
	f = tu_write(folder, "choices.csv",
	    "list_name,name,label::vi,label::en\n"
	    "yes_no,co,Có,Yes\n"
	    "yes_no,khong,Không,No\n"
	    "partner,so_khcn,Sở Khoa học và Công nghệ,Department of Science\n"
	    "partner,tinh_doan,Tỉnh đoàn,Youth Union\n"
	    "partner,mttq,Ủy ban MTTQ,Fatherland Front\n");
	g_free(f);
	f = tu_write(folder, "settings.csv",
	    "form_id,form_title::vi,version\nform_t,Phiếu thử,3\n");
	g_free(f);
	problems_init(&p);
	d = definition_load(folder, &p);
	ck_assert_msg(d != NULL, "test definition: %s", p.errors->len ?
	    (char *)p.errors->pdata[0] : "?");
	problems_clear(&p);
	g_free(folder);
	return d;
}

struct roster *
tu_roster(const char *dir)
{
	struct problems p;
	struct roster *r;
	char *f;

	f = tu_write(dir, "roster.csv",
	    "code,name,region,emails,cc,language,aliases\n"
	    "01,Hà Nội,Đồng bằng sông Hồng,lhh@hanoi.example.test,,vi,\n"
	    "24,Bắc Giang,Trung du và miền núi phía Bắc,"
	    "lhh@bacgiang.example.test;vp@bacgiang.example.test,"
	    "ubnd@bacgiang.example.test,vi,BG\n"
	    "14,Sơn La,Trung du và miền núi phía Bắc,lhh@sonla.example.test,,vi,\n");
	problems_init(&p);
	r = roster_load(f, &p);
	ck_assert_msg(r != NULL, "test roster: %s", p.errors->len ?
	    (char *)p.errors->pdata[0] : "?");
	problems_clear(&p);
	g_free(f);
	return r;
}

void
tu_cell_str(struct sheet *s, const char *ref, const char *text)
{
	uint32_t row, col;

	ck_assert_int_eq(grid_cellref_parse(ref, &row, &col), 0);
	ck_assert_int_eq(sheet_cell_add(s, row, col, CELL_STRING, 0,
	    strdup(text), 0), 0);
}

void
tu_cell_num(struct sheet *s, const char *ref, double n, unsigned flags)
{
	uint32_t row, col;

	ck_assert_int_eq(grid_cellref_parse(ref, &row, &col), 0);
	ck_assert_int_eq(sheet_cell_add(s, row, col, CELL_NUMBER, n, NULL,
	    flags), 0);
}
