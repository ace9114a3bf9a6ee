#!/bin/sh
# make-fixtures.sh: rebuild the M4A fixtures of tests/unit/t_mp4.c from the
# ADTS fixtures in ../aac (ffmpeg 5.1.9, Debian 12).  Run it from this
# directory; ffprobe's numbers for the results are in README.
set -eu
A=../aac
B="-bsf:a aac_adtstoasc"
ff() { ffmpeg -v error -y "$@"; }

# moov after mdat (ffmpeg's default), edit list media_time 0: 142 frames.
ff -i $A/speech-3s.aac -c copy $B speech.m4a
# moov first; the first 47 frames.
ff -i $A/speech-3s.aac -frames:a 47 -c copy $B -movflags +faststart \
    faststart.m4a
# fragmented: empty moov, one moof/trun.
ff -i $A/speech-3s.aac -frames:a 47 -c copy $B \
    -movflags frag_keyframe+empty_moov frag.m4a
# mono 44.1 kHz.
ff -i $A/mono-44k.aac -c copy $B mono44.m4a
# iTunes tags and chapters (chpl and a chapter text track) from chapters.txt.
ff -i $A/speech-3s.aac -i chapters.txt -frames:a 47 -map 0 \
    -map_metadata 1 -map_chapters 1 -c copy $B tagged.m4a
# re-encoded: an edit list skipping 1024 priming samples, trimmed end.
ff -i $A/speech-3s.aac -t 1.3 -ac 1 -c:a aac -b:a 32k enc.m4a
# two audio tracks: MP3 first (skipped by the reader), then AAC.
ff -i $A/mono-44k.aac -i $A/speech-3s.aac -t 0.5 -map 0:a -map 1:a \
    -c:a:0 libmp3lame -b:a:0 32k -c:a:1 copy -bsf:a:1 aac_adtstoasc \
    -f mp4 twotrack.m4a
# co64 chunk offsets and a 64-bit mdat size (ffmpeg writes them only past
# 4 GiB): rewrite a moov-last file, stco -> co64, and "free" + "mdat"
# headers -> one 16-byte "mdat" header, so no data moves.
ff -i $A/speech-3s.aac -frames:a 47 -c copy $B co64-src.m4a
python3 - <<'PY'
import struct
b = open('co64-src.m4a', 'rb').read()
assert b[28:36] == b'\0\0\0\x08free' and b[40:44] == b'mdat'
mdat = struct.unpack('>I', b[36:40])[0]
head = b[:28] + struct.pack('>I4sQ', 1, b'mdat', mdat + 8)
moov = b[36 + mdat:]
def fix(box):
    """box bytes -> box bytes with every stco turned into co64"""
    size, typ = struct.unpack('>I4s', box[:8])
    if typ == b'stco':
        n = struct.unpack('>I', box[12:16])[0]
        offs = struct.unpack('>%dI' % n, box[16:16 + 4 * n])
        body = box[8:16] + struct.pack('>%dQ' % n, *offs)
        return struct.pack('>I4s', 8 + len(body), b'co64') + body
    if typ in (b'moov', b'trak', b'mdia', b'minf', b'stbl'):
        out, o = b'', 8
        while o < size:
            s = struct.unpack('>I', box[o:o + 4])[0]
            out += fix(box[o:o + s])
            o += s
        return struct.pack('>I4s', 8 + len(out), typ) + out
    return box
open('co64.m4a', 'wb').write(head + b[44:36 + mdat] + fix(moov))
PY
rm -f co64-src.m4a
