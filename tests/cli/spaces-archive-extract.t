#!/bin/sh
# spaces-archive-extract: listing, extraction, --data, variations, faults;
# checked against unzip, bsdtar and ffprobe.
. "${0%/*}/../lib.sh"

gen() {
	python3 "$TOP/tests/gen-archive.py" "$@" >gen.log 2>&1 ||
	    { cat gen.log; return 1; }
}

# frames FILE: ffprobe's count of the AAC frames in FILE.
frames() {
	ffprobe -v error -count_frames -select_streams a:0 \
	    -show_entries stream=nb_read_frames -of csv=p=0 "$1"
}

t_case 'list: the user record, counted followers, location, country' '
	gen --followers 7 --following 2 a.zip &&
	run spaces-archive-extract -l a.zip &&
	status 0 && err_empty &&
	head -n 1 out >user &&
	jq -e "select(.type == \"user\")" user >/dev/null &&
	[ "$(jq -c "[.id, .username, .followers_count, .following_count, .location, .country, .country_basis, .birth_date, .source]" user)" = \
	  "[\"111111111\",\"SpacesHost\",7,2,\"Austin, TX\",\"US\",\"profile-location\",\"1990-01-01\",\"archive\"]" ] &&
	[ "$(jq -r .created_at user)" = 2011-06-23T13:04:14.000Z ]
'

t_case 'list: one space record per Space, fields normalised' '
	gen --spaces 3 a.zip &&
	run spaces-archive-extract -l a.zip &&
	status 0 &&
	[ "$(grep -c "\"type\":\"space\"" out)" = 3 ] &&
	grep "\"type\":\"space\"" out | head -n 1 >s &&
	[ "$(jq -c "[.id, .creator_id, .host_ids, .created_at, .ended_at, .total_participated, .speakers[0].user_id, .source]" s)" = \
	  "[\"1ypKdEXvkMLGW\",\"111111111\",[\"111111111\"],\"2022-03-22T19:19:02.000Z\",\"2022-03-22T20:24:30.391Z\",42,\"111111111\",\"archive\"]" ]
'

t_case 'list: audio parts, bytes as unzip says, frames as ffprobe counts' '
	gen --spaces 1 --parts 2 a.zip &&
	run spaces-archive-extract -l a.zip &&
	grep "\"type\":\"space\"" out >s &&
	[ "$(jq ".audio | length" s)" = 2 ] &&
	unzip -q a.zip "data/spaces_media/*" &&
	for i in 0 1; do
		f=data/spaces_media/space-1ypKdEXvkMLGW_$i.ts
		[ "$(jq ".audio[$i].bytes" s)" = "$(wc -c <$f)" ] &&
		[ "$(jq ".audio[$i].frames" s)" = "$(frames $f)" ] &&
		[ "$(jq ".audio[$i].part" s)" = $i ] &&
		[ "$(jq -r ".audio[$i].path" s)" = $f ] || exit 1
	done &&
	jq -e "(.audio[0].duration - .audio[0].frames * 1024 / 48000 | fabs) < 1e-9" s >/dev/null
'

t_case 'list: -s lists only those Spaces' '
	gen --spaces 3 a.zip &&
	run spaces-archive-extract -l -s 1ds9oZUADFdiZ -s nosuchspace1 a.zip &&
	status 1 &&
	err_has "no Space '"'"'nosuchspace1'"'"'" &&
	[ "$(jq -r "select(.type == \"space\") | .id" out)" = 1ds9oZUADFdiZ ] &&
	[ "$(grep -c "\"type\":\"user\"" out)" = 1 ]
'

t_case 'list: the same records from a file and from a pipe' '
	gen --spaces 2 --parts 2 a.zip &&
	spaces-archive-extract -l a.zip >file.out &&
	cat a.zip | spaces-archive-extract -l - >pipe.out &&
	diff -u file.out pipe.out
'

t_case 'list: from a pipe and a named pipe, past media and data descriptors' '
	gen --spaces 2 --parts 2 --filler-mb 6 --media-repeat 3 a.zip &&
	gen --spaces 2 --parts 2 --filler-mb 6 --data-descriptor b.zip &&
	for z in a.zip b.zip; do
		spaces-archive-extract -l -j $z >file.out &&
		[ "$(grep -c "\"type\":\"space\"" file.out)" = 2 ] &&
		cat $z | spaces-archive-extract -l -j - >pipe.out &&
		diff -u file.out pipe.out &&
		rm -f fifo && mkfifo fifo &&
		{ cat $z >fifo & } &&
		spaces-archive-extract -l -j fifo >fifo.out &&
		wait &&
		diff -u file.out fifo.out || return 1
	done
'

t_case 'list: the metadata variations give the same records' '
	gen --spaces 2 a.zip &&
	spaces-archive-extract -l a.zip | jq -c "select(.type == \"space\") | del(.audio)" >want &&
	for v in bare numbers epoch; do
		gen --spaces 2 --meta-style $v b.zip &&
		spaces-archive-extract -l b.zip | jq -c "select(.type == \"space\") | del(.audio)" >got &&
		diff -u want got || { echo "style $v"; exit 1; }
	done
'

t_case 'list: BOM, CRLF, trailing ";", no header, no manifest' '
	gen --spaces 2 --followers 4 a.zip &&
	spaces-archive-extract -l a.zip | jq -c "del(.archive_generated_at)" >want &&
	for v in --bom --crlf --semicolon --no-header --no-manifest \
	    "--bom --crlf --semicolon"; do
		gen --spaces 2 --followers 4 $v b.zip &&
		spaces-archive-extract -l b.zip 2>err | jq -c "del(.archive_generated_at)" >got &&
		[ ! -s err ] && diff -u want got || { echo "variation $v"; cat err; exit 1; }
	done
'

t_case 'list: an empty spaces-metadata, one-line or not' '
	for v in empty empty-one-line; do
		gen --spaces 0 --meta-style $v a.zip &&
		run spaces-archive-extract -l a.zip &&
		status 0 && err_empty &&
		[ "$(grep -c "\"type\":\"space\"" out)" = 0 ] &&
		[ "$(grep -c "\"type\":\"user\"" out)" = 1 ] || exit 1
	done
'

t_case 'list: follower parts are counted together' '
	gen --followers 25 --split-followers 10 a.zip &&
	unzip -l a.zip | grep -q "data/follower-part2.js" &&
	run spaces-archive-extract -l a.zip &&
	[ "$(head -n 1 out | jq .followers_count)" = 25 ]
'

t_case 'list: ageinfo with only inferred info gives no birth date' '
	gen --ageinfo inferred-only a.zip &&
	run spaces-archive-extract -l a.zip &&
	[ "$(head -n 1 out | jq "has(\"birth_date\")")" = false ] &&
	gen --ageinfo none b.zip &&
	run spaces-archive-extract -l b.zip &&
	[ "$(head -n 1 out | jq "has(\"birth_date\")")" = false ]
'

t_case 'list: the real trailing-space location, trimmed and inferred' '
	gen --location "Porto, Portugal " a.zip &&
	run spaces-archive-extract -l a.zip &&
	[ "$(head -n 1 out | jq -c "[.location, .country]")" = "[\"Porto, Portugal\",\"PT\"]" ]
'

t_case 'list: a table on --table, and the eligibility pipeline' '
	gen --spaces 2 a.zip &&
	run spaces-archive-extract -l --table a.zip &&
	out_has "^user SpacesHost  id 111111111  followers 3" &&
	out_has "^SPACE  *CREATED" &&
	out_has "^1ypKdEXvkMLGW  2022-03-22T19:19:02.000Z" &&
	spaces-archive-extract --list a.zip | spaces-eligibility --program spark-2021 --as-of 2022-04-01 >v;
	[ $? -eq 1 ] &&
	[ "$(jq -c "[.criteria[] | select(.id == \"followers\" or .id == \"country\") | .status]" v)" = "[\"fail\",\"pass\"]" ]
'

t_case 'extract: every part, bytes identical to unzip and bsdtar' '
	gen --spaces 2 --parts 2 a.zip &&
	run spaces-archive-extract -C dest a.zip &&
	status 0 &&
	err_is <<-EOF &&
	spaces-archive-extract: note: 1 other person spoke in the Spaces extracted; get their consent before reusing their voices
	EOF
	[ "$(ls dest | wc -l)" = 4 ] &&
	mkdir u b && (cd u && unzip -q ../a.zip) && (cd b && bsdtar -xf ../a.zip) &&
	for f in dest/*.aac; do
		n=${f#dest/}; n=${n%.aac}.ts
		cmp "$f" "u/data/spaces_media/$n" && cmp "$f" "b/data/spaces_media/$n" || exit 1
	done &&
	[ -z "$(ls -A dest | grep "^\.")" ]
'

t_case 'extract: --table prints the files written, off a terminal too; -q not' '
	gen --spaces 2 a.zip &&
	run spaces-archive-extract --table -C dest a.zip &&
	status 0 &&
	out_has "dest/space-1ypKdEXvkMLGW_0.aac" &&
	out_has "dest/space-1ds9oZUADFdiZ_0.aac" &&
	run spaces-archive-extract -f -q --table -C dest a.zip &&
	status 0 &&
	[ ! -s out ]
'
t_case 'extract: -s picks Spaces, -o names them, %(date)s from the metadata' '
	gen --spaces 3 a.zip &&
	run spaces-archive-extract -C dest -s 1ds9oZUADFdiZ -o "%(date)s-%(id)s_%(part)02d.aac" a.zip &&
	status 0 &&
	[ "$(ls dest)" = "2022-03-28-1ds9oZUADFdiZ_00.aac" ]
'

t_case 'extract: -j prints the records of the Spaces extracted, with paths' '
	gen --spaces 2 --parts 2 a.zip &&
	run spaces-archive-extract -j -C dest -s 1ypKdEXvkMLGW a.zip &&
	status 0 &&
	[ "$(wc -l <out)" = 1 ] &&
	jq_is "[.audio[].path]" "[\"dest/space-1ypKdEXvkMLGW_0.aac\",\"dest/space-1ypKdEXvkMLGW_1.aac\"]" &&
	[ "$(jq ".audio[1].bytes" out)" = "$(wc -c <dest/space-1ypKdEXvkMLGW_1.aac)" ]
'

t_case 'extract: a Space not in the archive is exit 1, the rest extracted' '
	gen --spaces 2 a.zip &&
	run spaces-archive-extract -C dest -s 1ypKdEXvkMLGW -s nosuchspace1 a.zip &&
	status 1 &&
	err_is <<-EOF &&
	spaces-archive-extract: no Space '"'"'nosuchspace1'"'"' in the archive
	EOF
	[ -f dest/space-1ypKdEXvkMLGW_0.aac ]
'

t_case 'extract: -o - writes one Space, its parts in order, from a pipe too' '
	gen --spaces 2 --parts 3 a.zip &&
	unzip -q a.zip "data/spaces_media/*" &&
	cat data/spaces_media/space-1ds9oZUADFdiZ_0.ts data/spaces_media/space-1ds9oZUADFdiZ_1.ts \
	    data/spaces_media/space-1ds9oZUADFdiZ_2.ts >want &&
	spaces-archive-extract -s 1ds9oZUADFdiZ -o - a.zip >got &&
	cmp want got &&
	cat a.zip | spaces-archive-extract -s 1ds9oZUADFdiZ -o - - >got2 &&
	cmp want got2
'

t_case 'extract: -o - puts parts in order when the zip does not' '
	gen --spaces 1 --parts 3 a.zip &&
	python3 -c "
import zipfile
src = zipfile.ZipFile(\"a.zip\")
names = src.namelist()
media = sorted([n for n in names if \"spaces_media\" in n], reverse=True)
with zipfile.ZipFile(\"r.zip\", \"w\") as dst:
    for n in [n for n in names if n not in media] + media:
        dst.writestr(src.getinfo(n), src.read(n))
" &&
	unzip -l r.zip | grep spaces_media | head -n 1 | grep -q "_2.ts" &&
	spaces-archive-extract -s 1ypKdEXvkMLGW -o - a.zip >want &&
	cat r.zip | spaces-archive-extract -s 1ypKdEXvkMLGW -o - - >got &&
	cmp want got
'

# drop ZIP NAME...: a copy of a.zip without the entries whose names end so.
drop() {
	out=$1
	shift
	python3 - "$out" "$@" <<-EOF
	import sys, zipfile
	src = zipfile.ZipFile("a.zip")
	with zipfile.ZipFile(sys.argv[1], "w") as dst:
	    for i in src.infolist():
	        if not any(i.filename.endswith(s) for s in sys.argv[2:]):
	            dst.writestr(i, src.read(i.filename))
	EOF
}

t_case 'extract: a Space without metadata: listed, and named by default' '
	gen --spaces 1 --parts 2 a.zip &&
	drop b.zip spaces-metadata.js &&
	run spaces-archive-extract -l b.zip &&
	status 0 &&
	grep "\"type\":\"space\"" out >s &&
	[ "$(jq -c "[.id, .audio[1].part, has(\"created_at\")]" s)" = "[\"1ypKdEXvkMLGW\",1,false]" ] &&
	run spaces-archive-extract -C dest -o "%(date)s-%(id)s_%(part)d.aac" b.zip &&
	status 1 &&
	err_has "cannot name it; using '"'"'space-1ypKdEXvkMLGW_0.aac'"'"'" &&
	[ "$(ls dest | tr "\n" " ")" = "space-1ypKdEXvkMLGW_0.aac space-1ypKdEXvkMLGW_1.aac " ]
'

t_case 'extract: -o - stops at a missing part and says so' '
	gen --spaces 1 --parts 3 a.zip &&
	drop b.zip _1.ts &&
	unzip -q a.zip "data/spaces_media/*" &&
	run spaces-archive-extract -s 1ypKdEXvkMLGW -o - b.zip &&
	status 1 &&
	err_has "part 1 is missing" &&
	cmp out data/spaces_media/space-1ypKdEXvkMLGW_0.ts
'

t_case 'extract: existing files are kept without -f, replaced with -f' '
	gen --spaces 1 a.zip &&
	mkdir dest && echo mine >dest/space-1ypKdEXvkMLGW_0.aac &&
	run spaces-archive-extract -C dest a.zip &&
	status 1 &&
	err_has "exists; kept (use -f to replace it)" &&
	[ "$(cat dest/space-1ypKdEXvkMLGW_0.aac)" = mine ] &&
	run spaces-archive-extract -f -C dest a.zip &&
	status 0 &&
	[ "$(wc -c <dest/space-1ypKdEXvkMLGW_0.aac)" -gt 1000 ] &&
	run spaces-archive-extract -C dest a.zip &&
	status 0 && err_empty &&
	[ "$(ls -A dest | wc -l)" = 1 ]
'

t_case 'usage errors: exit 2' '
	gen a.zip &&
	run spaces-archive-extract && status 2 &&
	run spaces-archive-extract -o - a.zip && status 2 &&
	run spaces-archive-extract -o "x/%(id)s.aac" a.zip && status 2 &&
	err_has "without '"'"'/'"'"'" &&
	run spaces-archive-extract -o "%(title)s.aac" a.zip && status 2 &&
	err_has "unknown field '"'"'title'"'"'" &&
	run spaces-archive-extract -l --data follower a.zip && status 2 &&
	run spaces-archive-extract - - && status 2 &&
	run spaces-archive-extract nosuch.zip && status 2 &&
	err_has "cannot open '"'"'nosuch.zip'"'"'"
'

t_case '--data: any type as NDJSON of the unwrapped objects, parts included' '
	gen --followers 12 --split-followers 5 --tweets 9 a.zip &&
	run spaces-archive-extract --data follower a.zip &&
	status 0 &&
	[ "$(wc -l <out)" = 12 ] &&
	[ "$(head -n 1 out | jq -r "keys | join(\",\")")" = "accountId,userLink" ] &&
	run spaces-archive-extract --data tweets a.zip &&
	[ "$(wc -l <out)" = 9 ] &&
	run spaces-archive-extract --data spacesMetadata a.zip &&
	[ "$(jq -r .id out | head -n 1)" = 1ypKdEXvkMLGW ] &&
	run spaces-archive-extract --data spaces-metadata a.zip &&
	[ "$(jq -r .id out | head -n 1)" = 1ypKdEXvkMLGW ] &&
	run spaces-archive-extract --data likes a.zip &&
	status 1 && out_empty &&
	err_has "no data file of type '"'"'likes'"'"'"
'

# data/spaces_media/space-../x_0.ts is a file under spaces_media/ (in a
# folder named "space-.."): Space audio, extracted inside -C.
t_case 'safety: hostile entries are refused by name, nothing escapes -C' '
	gen --hostile a.zip &&
	mkdir -p w/d && cd w &&
	run spaces-archive-extract -C d ../a.zip &&
	status 0 &&
	err_has "refusing entry '"'"'../evil.txt'"'"'" &&
	err_has "refusing entry '"'"'/abs/evil.txt'"'"'" &&
	err_has "refusing entry '"'"'data/spaces_media/link.ts'"'"': a symbolic link" &&
	[ ! -e ../evil.txt ] && [ ! -e evil.txt ] && [ ! -e /abs/evil.txt ] &&
	[ ! -e ../evil2.txt ] &&
	[ "$(find . -type l | wc -l)" = 0 ] &&
	[ "$(ls d)" = "$(printf "space-1ds9oZUADFdiZ_0.aac\nspace-1ypKdEXvkMLGW_0.aac\nspace-x_0.aac")" ]
'

t_case 'faults: a bad CRC names the entry, exit 2, the rest extracted' '
	gen --spaces 2 --bad-crc a.zip &&
	! unzip -tq a.zip >/dev/null 2>&1 &&
	run spaces-archive-extract -C dest a.zip &&
	status 2 &&
	err_has "spaces_media/space-.*_0.ts'"'"':" &&
	[ "$(ls dest | wc -l)" = 1 ] &&
	[ -z "$(ls -A dest | grep "^\.")" ]
'

t_case 'faults: a truncated zip from a file and from a pipe, exit 2' '
	gen --spaces 2 --followers 5 a.zip &&
	size=$(wc -c <a.zip) &&
	head -c $((size - 30000)) a.zip >t.zip &&
	run spaces-archive-extract -l t.zip &&
	status 2 && err_has "t.zip" &&
	cat t.zip | spaces-archive-extract -l - >out 2>err;
	[ $? -eq 2 ] &&
	[ "$(head -n 1 out | jq .followers_count)" = 5 ]
'

t_case 'faults: a data file that is not JSON: named, exit 2, the rest listed' '
	gen --spaces 2 --bad-json a.zip &&
	run spaces-archive-extract -l a.zip &&
	status 2 &&
	err_has "'"'"'data/follower.js'"'"':" &&
	[ "$(grep -c "\"type\":\"space\"" out)" = 2 ] &&
	[ "$(head -n 1 out | jq -r .username)" = SpacesHost ]
'

t_case 'faults: a metadata item that is not an object is passed over' '
	gen --spaces 3 --bad-item a.zip &&
	run spaces-archive-extract -l a.zip &&
	status 2 &&
	err_has "spaces-metadata.js" &&
	[ "$(grep -c "\"type\":\"space\"" out)" -ge 2 ]
'

# A write that fails half-way, as on a full disk: a file size limit (with
# SIGXFSZ ignored, write(2) fails with EFBIG), which needs no privileges.
t_case 'faults: a failed write is exit 3 and leaves no file behind' '
	gen --spaces 2 --parts 2 a.zip &&
	mkdir dest &&
	(trap "" XFSZ; ulimit -f 40; spaces-archive-extract -C dest a.zip) 2>err;
	[ $? -eq 3 ] &&
	err_has "cannot write Space .* in '"'"'dest'"'"': File too large" &&
	[ -z "$(ls -A dest)" ] &&
	spaces-archive-extract -s 1ypKdEXvkMLGW -o - a.zip >/dev/full 2>err;
	[ $? -eq 3 ] && err_has "No space left on device"
'

t_case 'a closed pipe ends quietly' '
	gen --followers 3000 a.zip &&
	spaces-archive-extract --data follower a.zip 2>err | head -n 1 >/dev/null &&
	err_empty
'

t_case 'several operands are one archive: facts merged' '
	gen --spaces 2 --followers 6 a.zip &&
	python3 -c "
import zipfile
src = zipfile.ZipFile(\"a.zip\")
with zipfile.ZipFile(\"p1.zip\", \"w\") as d1, zipfile.ZipFile(\"p2.zip\", \"w\") as d2:
    for i in src.infolist():
        (d2 if \"spaces_media\" in i.filename else d1).writestr(i, src.read(i.filename))
" &&
	spaces-archive-extract -l a.zip >want &&
	spaces-archive-extract -l p1.zip p2.zip >got &&
	jq -c "del(.audio[]?.path)" want >w && jq -c "del(.audio[]?.path)" got >g &&
	diff -u w g
'

# ---- issue 14: real archives, never silent; the speakers of each Space

# The done-when of issue 14: a Space with 2 people and 3 spoken sessions
# (gen-archive.py: every second Space has a co-host speaking twice), its
# parts timed by the stream's NTP tags (--hls-chunks, from createdAt).
t_case 'list -j: 2 speakers with 3 sessions, each part'"'"'s started_at' '
	gen --spaces 2 --parts 2 --hls-chunks 1 a.zip &&
	python3 "$TOP/tests/gen-archive.py" --spaces 2 --parts 2 --hls-chunks 1 --print-expect x.zip >expect &&
	run spaces-archive-extract -l -j -s 1ds9oZUADFdiZ a.zip &&
	status 0 &&
	grep "\"type\":\"space\"" out >s &&
	[ "$(jq -c "[(.speakers | length), (.speaker_ids | length), [.speakers[].sessions | length], .speakers_complete]" s)" = "[2,2,[1,2],true]" ] &&
	[ "$(jq -c ".speakers" s)" = "$(jq -c ".spaces[1].speakers" expect)" ] &&
	[ "$(jq -c "[.audio[].started_at]" s)" = "$(jq -c "[.spaces[1].audio[].started_at]" expect)" ] &&
	[ "$(jq -r ".audio[1].started_at" s)" = 2022-03-28T22:36:05.166Z ] &&
	run spaces-archive-extract -l --table a.zip &&
	out_has "^1ds9oZUADFdiZ .*  2  *2  *59$"
'

t_case 'list: every nesting of speakers gives the same speakers' '
	gen --spaces 2 a.zip &&
	spaces-archive-extract -l a.zip | jq -c "select(.type == \"space\") | [.speakers, .speaker_ids]" >want &&
	for v in nested pairs wrapped user-object map; do
		gen --spaces 2 --speakers-style $v b.zip &&
		spaces-archive-extract -l b.zip 2>err | jq -c "select(.type == \"space\") | [.speakers, .speaker_ids]" >got &&
		[ ! -s err ] && diff -u want got || { echo "style $v"; cat err; exit 1; }
	done &&
	gen --spaces 2 --speakers-style ids c.zip &&
	run spaces-archive-extract -l c.zip &&
	[ "$(grep "\"type\":\"space\"" out | tail -n 1 | jq -c "[.speaker_ids, [.speakers[].sessions]]")" = "[[\"111111111\",\"1190000000007000034\"],[[],[]]]" ]
'

t_case 'instants: epoch seconds, epoch ms and tweets-style dates' '
	gen --spaces 2 a.zip &&
	spaces-archive-extract -l a.zip | jq -c "select(.type == \"space\") | [.created_at, .ended_at, .speakers]" >want &&
	gen --spaces 2 --meta-style epoch-seconds b.zip &&
	run spaces-archive-extract -l b.zip &&
	status 0 && err_empty &&
	grep "\"type\":\"space\"" out | jq -c "[.created_at, .ended_at, .speakers]" >got &&
	diff -u want got &&
	[ "$(head -n 1 got | jq -r ".[0]")" = 2022-03-22T19:19:02.000Z ] &&
	gen --spaces 1 --meta-style tweets-dates c.zip &&
	run spaces-archive-extract -l c.zip &&
	status 0 && err_empty &&
	[ "$(grep "\"type\":\"space\"" out | jq -r .created_at)" = 2022-03-22T19:19:02.000Z ] &&
	[ "$(grep "\"type\":\"space\"" out | jq -r .speakers[0].sessions[0].started_at)" = 2022-03-22T19:20:00.000Z ]
'

t_case 'instants: before Spaces existed is a warning; 0 is absent' '
	gen --spaces 1 --early-instant a.zip &&
	run spaces-archive-extract -l a.zip &&
	status 0 &&
	err_is <<-EOF &&
	spaces-archive-extract: Space 1ypKdEXvkMLGW: createdAt 2019-01-01T00:00:00.000Z is before Spaces existed (2020-11-01)
	spaces-archive-extract: Space 1ypKdEXvkMLGW: endedAt is 0 (1970); taken as absent
	EOF
	grep "\"type\":\"space\"" out >s &&
	[ "$(jq -c "[.created_at, has(\"ended_at\"), .speakers_complete]" s)" = "[\"2019-01-01T00:00:00.000Z\",false,false]" ]
'

t_case 'live when archived: speakers_complete false; generationDate kept' '
	gen --spaces 2 --live a.zip &&
	run spaces-archive-extract -l a.zip &&
	status 0 &&
	[ "$(jq -c "select(.type == \"space\") | [.id, .speakers_complete, .archive_generated_at]" out | tr "\n" " ")" = "[\"1ypKdEXvkMLGW\",false,\"2024-07-05T15:17:40.000Z\"] [\"1ds9oZUADFdiZ\",true,\"2024-07-05T15:17:40.000Z\"] " ] &&
	[ "$(head -n 1 out | jq -r .archive_generated_at)" = 2024-07-05T15:17:40.000Z ]
'

t_case 'ids: spaceId and broadcastId stand in; no id is reported by position' '
	for k in spaceId broadcastId; do
		gen --spaces 1 --id-key $k a.zip &&
		run spaces-archive-extract -l a.zip &&
		status 0 && err_empty &&
		[ "$(grep "\"type\":\"space\"" out | jq -c "[.id, .created_at]")" = "[\"1ypKdEXvkMLGW\",\"2022-03-22T19:19:02.000Z\"]" ] || exit 1
	done &&
	gen --spaces 2 --id-key none b.zip &&
	run spaces-archive-extract -l b.zip &&
	status 0 &&
	err_is <<-EOF
	spaces-archive-extract: spaces-metadata: item 1: a Space without an id (id, spaceId, broadcastId); left out
	EOF
'

t_case 'audio names: the variants parse, others extract under a fallback' '
	for f in "{id}-{n}.aac" "{id}_{n}.m4a" "space-{id}.ts" "space-{id}_{n}"; do
		gen --spaces 2 --media-name "$f" a.zip &&
		rm -rf dest && run spaces-archive-extract -q -C dest a.zip &&
		status 0 &&
		[ "$(ls dest | tr "\n" " ")" = "space-1ds9oZUADFdiZ_0.aac space-1ypKdEXvkMLGW_0.aac " ] || { echo "$f"; cat err; exit 1; }
	done &&
	gen --spaces 2 --unnamed-media b.zip &&
	rm -rf dest && run spaces-archive-extract -C dest b.zip &&
	status 0 &&
	err_has "^spaces-archive-extract: '"'"'data/spaces_media/recording 1.m4a'"'"' names no Space; extracted as '"'"'dest/unnamed-recording_1.aac'"'"'$" &&
	unzip -p b.zip "data/spaces_media/recording 1.m4a" | cmp - dest/unnamed-recording_1.aac &&
	run spaces-archive-extract -l b.zip &&
	err_has "names no Space; not listed"
'

t_case 'no audio for listed Spaces: one line, exit 1' '
	gen --spaces 2 --parts 0 a.zip &&
	run spaces-archive-extract -C dest a.zip &&
	status 1 &&
	err_is <<-EOF &&
	spaces-archive-extract: no Spaces audio in this archive; X keeps it about 30 days
	EOF
	run spaces-archive-extract -C dest -s 1ypKdEXvkMLGW a.zip &&
	status 1 &&
	err_has "Space 1ypKdEXvkMLGW: no audio in this archive; X keeps it about 30 days" &&
	run spaces-archive-extract -l a.zip &&
	status 0 && err_has "no Spaces audio in this archive"
'

t_case 'metadata and audio sharing no id: a warning naming both' '
	gen --spaces 2 --media-seed 7 a.zip &&
	run spaces-archive-extract -l a.zip &&
	err_is <<-EOF
	spaces-archive-extract: the metadata'"'"'s Spaces (1ypKdEXvkMLGW, 1ds9oZUADFdiZ) and the audio'"'"'s (1Vdz2pU1rjGyw, 1ES7aUR2fpXev) share no id
	EOF
'

t_case 'split archives: a warning with the parts the manifest implies' '
	gen --partial-archive a.zip &&
	run spaces-archive-extract -l a.zip &&
	status 0 &&
	err_is <<-EOF
	spaces-archive-extract: a part of a split archive (isPartialArchive; 120000000000 bytes in parts of at most 53687091200: 3 parts, 1 given): follower counts and Spaces audio may be incomplete; give every part
	EOF
'

t_case '--data: parts in part order whatever the zip order' '
	gen --tweets 6 --data-parts-reversed a.zip &&
	unzip -l a.zip | grep "data/tweets" | head -n 1 | grep -q tweets-part1.js &&
	gen --tweets 6 b.zip &&
	spaces-archive-extract --data tweets b.zip >want &&
	run spaces-archive-extract --data tweets a.zip &&
	status 0 &&
	diff -u want out &&
	cat a.zip | spaces-archive-extract --data tweets - >got &&
	diff -u want got
'

t_case 'user: the age given without a birth date, and the Periscope id' '
	gen --ageinfo age-only --periscope a.zip &&
	run spaces-archive-extract -l a.zip &&
	status 0 && err_empty &&
	[ "$(head -n 1 out | jq -c "[.age, has(\"birth_date\"), .periscope_id]")" = "[34,false,\"1mnxeRzLxqYJX\"]" ] &&
	gen --ageinfo inferred-only b.zip &&
	run spaces-archive-extract -l b.zip &&
	[ "$(head -n 1 out | jq -c "[has(\"age\"), has(\"birth_date\")]")" = "[false,false]" ]
'

t_case 'consent: a note when other people spoke, none for the host alone' '
	gen --spaces 2 a.zip &&
	run spaces-archive-extract -C dest -s 1ypKdEXvkMLGW a.zip &&
	status 0 && err_empty &&
	run spaces-archive-extract -C dest2 -s 1ds9oZUADFdiZ a.zip &&
	status 0 &&
	err_is <<-EOF &&
	spaces-archive-extract: note: 1 other person spoke in the Spaces extracted; get their consent before reusing their voices
	EOF
	run spaces-archive-extract -q -C dest3 -s 1ds9oZUADFdiZ a.zip &&
	status 0 && err_empty
'

# ---- issue 19, items 1, 3, 17, 19 (the archive half)

t_case 'collisions in one run: named, exit 1, the first part kept' '
	gen --spaces 1 --parts 2 a.zip &&
	unzip -q a.zip "data/spaces_media/*" &&
	run spaces-archive-extract -f -C dest -o "%(id)s.aac" a.zip &&
	status 1 &&
	err_has "Space 1ypKdEXvkMLGW part 0 and Space 1ypKdEXvkMLGW part 1 are both named '"'"'dest/1ypKdEXvkMLGW.aac'"'"'; the second is not written" &&
	[ "$(ls dest)" = 1ypKdEXvkMLGW.aac ] &&
	cmp dest/1ypKdEXvkMLGW.aac data/spaces_media/space-1ypKdEXvkMLGW_0.ts &&
	run spaces-archive-extract -C dest2 -o "%(id)s.aac" a.zip &&
	status 1 &&
	err_has "are both named" &&
	! grep -q "exists; kept" err
'

t_case '-o: empty, ".", "..", %(id)d are usage errors before any work' '
	gen a.zip &&
	for t in "" . .. "%(id)d"; do
		run spaces-archive-extract -C dest -o "$t" a.zip &&
		status 2 && err_one_line && [ ! -e dest ] || { echo "-o $t"; exit 1; }
	done
'

t_case 'an entry that is not ADTS audio is not written: exit 2' '
	gen --spaces 1 --html-media a.zip &&
	run spaces-archive-extract -C dest a.zip &&
	status 2 &&
	err_has "'"'"'data/spaces_media/space-1eRRorPageXXX_0.ts'"'"': an HTML or XML page, no ADTS audio; not extracted" &&
	[ "$(ls dest)" = space-1ypKdEXvkMLGW_0.aac ] &&
	run spaces-archive-extract -s 1eRRorPageXXX -o - a.zip &&
	status 2 && out_empty
'

t_case 'a part twice: reported as such, not as a missing part' '
	gen --spaces 1 --parts 2 --dup-media a.zip &&
	unzip -l a.zip | grep -c "space-1ypKdEXvkMLGW_0.ts" | grep -q 2 &&
	run spaces-archive-extract -s 1ypKdEXvkMLGW -o - a.zip &&
	status 1 &&
	err_is <<-EOF &&
	spaces-archive-extract: '"'"'a.zip'"'"': '"'"'data/spaces_media/space-1ypKdEXvkMLGW_0.ts'"'"': a second copy of Space 1ypKdEXvkMLGW part 0; not used
	EOF
	unzip -qo a.zip "data/spaces_media/*" 2>/dev/null;
	cat data/spaces_media/space-1ypKdEXvkMLGW_0.ts data/spaces_media/space-1ypKdEXvkMLGW_1.ts | cmp - out
'

# libarchive reports a FIFO entry as a regular file; the central directory
# (read when the zip is a file) says what it is.  From a pipe only its
# content can judge it: empty, it is no audio.
t_case 'a FIFO entry is refused from a file, never extracted from a pipe' '
	gen --spaces 1 --fifo-media a.zip &&
	unzip -Z a.zip | grep -q "^p.*space-1FiFoFiFoFiFo_0.ts" &&
	run spaces-archive-extract -C dest a.zip &&
	status 0 &&
	err_has "refusing entry '"'"'data/spaces_media/space-1FiFoFiFoFiFo_0.ts'"'"': not a regular file" &&
	[ "$(ls dest)" = space-1ypKdEXvkMLGW_0.aac ] &&
	cat a.zip | spaces-archive-extract -C dest2 - 2>err;
	[ $? -eq 2 ] &&
	err_has "space-1FiFoFiFoFiFo_0.ts'"'"': empty, no ADTS audio; not extracted" &&
	[ "$(ls dest2)" = space-1ypKdEXvkMLGW_0.aac ]
'

t_case 'entry names with control characters are escaped in messages' '
	gen --spaces 1 --evil-name a.zip &&
	run spaces-archive-extract -C dest a.zip &&
	status 2 &&
	! grep -q "$(printf "\033")" err &&
	! grep -q "$(printf "\r")" err &&
	err_has "data/spaces_media/\\\\x1b\]0;pwned\\\\x07\\\\r\\\\x1b\[2J.ts" &&
	err_one_line
'

t_case '-C where nothing can be written: exit 3, nothing leaked' '
	gen --spaces 1 a.zip &&
	run spaces-archive-extract -C /proc/self a.zip &&
	status 3 &&
	err_one_line && err_has "cannot write in '"'"'/proc/self'"'"'"
'

t_end
