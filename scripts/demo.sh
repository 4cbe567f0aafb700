#!/usr/bin/env bash
# The demo: a survey of the 63 provincial unions with form A, a handful of
# replies as provinces send them (Excel, LibreOffice, old .xls, .ods, a ZIP,
# one incomplete, one invalid, one with no sender we know), imported the
# way the document-exchange system's files are, then the status table.
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

echo "== filling forms the way provinces do (openpyxl; LibreOffice files from tests/fixtures)"
/usr/bin/python3 "$here/tests/fixtures/make_replies.py" "$demo/replies" \
    --codes 01,15,26,31,36,38,46,48,56,64,75,92 --variant good >/dev/null
/usr/bin/python3 "$here/tests/fixtures/make_replies.py" "$demo/replies" \
    --codes 40 --variant incomplete >/dev/null
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
echo
echo "The demo's folder is $demo (config, database, archive)."
echo "Try: $SURVEYD -c $demo/surveyd.conf status --json"
