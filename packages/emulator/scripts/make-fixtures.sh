#!/bin/sh
# Regenerates the sample media in ../fixtures with Debian's ffmpeg (apt-get install ffmpeg).
# The outputs are committed; CI never runs this script. Re-running it with the same ffmpeg
# build (Debian 12: ffmpeg 5.1) gives byte-identical files thanks to the bit-exact flags.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out="$here/../fixtures"
mkdir -p "$out"

# A 4 s, 640x640 test pattern with a 440 Hz tone at low quality: about 90 KB, plays in
# Chromium, and passes every "refuse" limit of spec/media-limits.json with margin (2-300 s,
# 15-60 fps, sides 640-2048 px, H.264 in MP4).
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "testsrc2=size=640x640:rate=25:duration=4" \
  -f lavfi -i "sine=frequency=440:sample_rate=44100:duration=4" \
  -c:v libx264 -preset veryslow -crf 45 -pix_fmt yuv420p \
  -c:a aac -b:a 32k -ac 1 \
  -movflags +faststart -map_metadata -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact \
  -shortest "$out/speaker.mp4"

# 4 s of mono 16 kHz 16-bit PCM speech stand-in (a 220 Hz tone): about 128 KB.
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "sine=frequency=220:sample_rate=16000:duration=4" \
  -c:a pcm_s16le -ac 1 -map_metadata -1 -fflags +bitexact -flags:a +bitexact \
  "$out/speech.wav"

ls -l "$out"
