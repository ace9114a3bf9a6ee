#!/bin/sh
# demo.t: `make demo` keeps doing what the README promises, on the bundled
# sample, and says every step's exit status that is not 0.
. "${0%/*}/../lib.sh"

t_case 'the demo runs every step, ends eligible, and leaves nothing behind' '
	TMPDIR=$PWD run sh "$TOP/tests/demo.sh" "${t_bin%/bin}" &&
	status 0 &&
	out_has "^\\\$ spaces help" &&
	out_has "speech: 6 stretches" &&
	out_has "^teaser.m4a: mp4 aac LC" &&
	out_has "^episode.mp3: mp3 mp3, 48000 Hz, 1 channel, 1:07.861" &&
	out_has "chapter 1:01.000  Good night" &&
	out_has "^verdict: eligible" &&
	out_has "^0:11.008 *0:19.008 *@bob " &&
	out_has "^clip 1 0:00.000-end: NO CONSENT; .*@bob (none)" &&
	out_has "^(exit status 1: not written)" &&
	out_has "^\[{\"user_id\":\"333333333\",\"username\":\"bob\",\"start\":11.008,\"end\":19.008}\]" &&
	out_has "^teaser2.m4a: mp4 aac LC" &&
	[ "$(grep -c "^(exit status" out)" -eq 5 ] &&
	! grep -q "^spaces-" err &&
	[ -z "$(ls -A | grep -v "^out$\|^err$")" ]
'

t_end
