#!/bin/sh
# clip.sh: spaces-clip against ffmpeg on a 3-hour Spaces recording (ADTS,
# and the same as M4A): a lossless 60 s clip from the middle, a 60 s MP3
# at -16 LUFS (ffmpeg: two-pass loudnorm), and 20 clips from one input.

src=$bench_tmp/3h.aac
: >"$bench_tmp/c60"
i=0
while [ $i -lt 60 ]; do
	cat "$top/tests/data/aac/speech-3s.aac" >>"$bench_tmp/c60"
	i=$((i + 1))
done
: >"$src"
i=0
while [ $i -lt 60 ]; do
	cat "$bench_tmp/c60" >>"$src"
	i=$((i + 1))
done
ffmpeg -v error -y -i "$src" -c copy "$bench_tmp/3h.m4a"
o=$bench_tmp/out

row "clip: 60 s lossless from 3 h ADTS" \
    "spaces-clip -f -s 1:30:00 -d 60 -o $o.m4a $src" \
    "ffmpeg -v error -y -ss 5400 -t 60 -i $src -c copy $o-ff.aac"
row "clip: 60 s lossless from 3 h M4A" \
    "spaces-clip -f -s 1:30:00 -d 60 -o $o.m4a $bench_tmp/3h.m4a" \
    "ffmpeg -v error -y -ss 5400 -t 60 -i $bench_tmp/3h.m4a -c copy $o-ff.m4a"
row "clip: 60 s to MP3 at -16 LUFS" \
    "spaces-clip -f -s 1:30:00 -d 60 --loudness -16 -o $o.mp3 $src" \
    "j=\$(ffmpeg -hide_banner -ss 5400 -t 60 -i $src -af loudnorm=I=-16:TP=-1:print_format=json -f null - 2>&1 | sed -n '/^{/,/^}/p'); \
     ffmpeg -v error -y -ss 5400 -t 60 -i $src -af loudnorm=I=-16:TP=-1:measured_I=\$(echo \"\$j\" | jq -r .input_i):measured_TP=\$(echo \"\$j\" | jq -r .input_tp):measured_LRA=\$(echo \"\$j\" | jq -r .input_lra):measured_thresh=\$(echo \"\$j\" | jq -r .input_thresh):linear=true $o-ff.mp3"
k=0
: >"$bench_tmp/list"
while [ $k -lt 20 ]; do
	echo "$((k * 500 + 100)) $((k * 500 + 160)) part $k" >>"$bench_tmp/list"
	k=$((k + 1))
done
row "clip: 20 clips from one 3 h input" \
    "spaces-clip -f --clips $bench_tmp/list -o '$o-%02n.m4a' $src" \
    "k=0; while [ \$k -lt 20 ]; do ffmpeg -v error -y -ss \$((k * 500 + 100)) -t 60 -i $src -c copy $o-ff-\$k.aac; k=\$((k + 1)); done"
# Where the MP3 row's time goes: the clip is measured, encoded, and the
# encoded file measured (a lossy encoder moves loudness and peaks), again
# when it missed; as WAV it is encoded once, without LAME.
enc=$(spaces-clip -f -j -s 1:30:00 -d 60 --loudness -16 -o $o.mp3 $src |
    jq .encodes)
measure "spaces-clip -f -s 1:30:00 -d 60 --loudness -16 -o $o.wav $src"
echo "MP3 at -16 LUFS: LAME encoded the clip $enc times (the file is" \
    "measured after each encode, the loudness on every core); the same" \
    "clip to WAV, measured and written once, takes $secs s: the rest is" \
    "LAME's"
rm -f "$src" "$bench_tmp/3h.m4a" "$bench_tmp/c60" "$o"*
