#!/usr/bin/env bash
# The demo: a survey of the 63 provincial unions with form A.  surveyd
# writes each province its blank form; a dozen come back filled (by
# openpyxl through the forms' defined names, plus LibreOffice .xls and .ods
# files, a ZIP, one incomplete, one invalid, one hand-made sheet nobody
# signed), are imported the way the document-exchange system's files are,
# and the status table and the consolidated workbook end it.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
SURVEYD=${SURVEYD:-$here/build/surveyd}
demo=$(mktemp -d /tmp/surveyd-demo.XXXXXX)
mkdir -p "$demo/replies"

cat > "$demo/surveyd.conf" <<CONF
# A demo config: see surveyd.conf.example for every key.
[store]
database=$demo/surveyd.db
archive=$demo/archive

[survey khaosat2023]
definition=$here/forms/form-a
roster=$here/rosters/sample-63.csv
opens=2023-06-01
deadline=2023-06-30
timezone=Asia/Ho_Chi_Minh
language=vi
CONF

echo "== surveyd check-config"
"$SURVEYD" -c "$demo/surveyd.conf" check-config

echo "== surveyd form --all: a personalised blank form for each of the 63"
"$SURVEYD" -c "$demo/surveyd.conf" form --all -o "$demo/forms" | tail -n 3
echo "   ..."

echo "== provinces fill their forms (openpyxl by defined name; LibreOffice files from tests/fixtures)"
/usr/bin/python3 "$here/tests/fixtures/make_replies.py" "$demo/values" \
    --codes 01,15,26,31,36,38,46,48,56,64,75,92 --variant good >/dev/null
/usr/bin/python3 "$here/tests/fixtures/make_replies.py" "$demo/values" \
    --codes 40 --variant incomplete >/dev/null
for v in "$demo"/values/*.expected.json; do
	name=$(basename "$v" .expected.json)
	/usr/bin/python3 "$here/tests/cli/fill_form.py" "$demo/forms/$name.xlsx" \
	    "$here/forms/form-a" "$v" "$demo/replies/$name.xlsx"
done
/usr/bin/python3 "$here/tests/fixtures/make_replies.py" "$demo/replies" \
    --codes 52 --variant invalid >/dev/null
rm -f "$demo"/replies/*.expected.json
cp "$here"/tests/fixtures/replies/24-libreoffice.xls \
   "$here"/tests/fixtures/replies/79-libreoffice.ods \
   "$here"/tests/fixtures/replies/14-zipped.zip "$demo/replies/"
printf 'name;value\nct_so_chuong_trinh;4\nnl_so_hoi;17\n' > "$demo/replies/bang-tinh-tu-lam.csv"

echo "== surveyd import ($(ls "$demo/replies" | wc -l) files)"
set +e
"$SURVEYD" -c "$demo/surveyd.conf" import --now '2023-06-20 10:00' "$demo"/replies/*
rc=$?
set -e
echo "(exit $rc: 3 means some file was not attributed and waits for 'surveyd assign')"

echo "== surveyd status"
"$SURVEYD" -c "$demo/surveyd.conf" status

echo "== surveyd export: the consolidated workbook"
"$SURVEYD" -c "$demo/surveyd.conf" export -o "$demo/tong-hop.xlsx" --csv "$demo/tong-hop.csv"
echo
echo "The demo's folder is $demo (config, database, archive, forms, replies)."
echo "The secretary's workbook: $demo/tong-hop.xlsx"
echo "Try: $SURVEYD -c $demo/surveyd.conf status --json"
