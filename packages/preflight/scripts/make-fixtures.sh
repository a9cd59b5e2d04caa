#!/bin/sh
# Regenerates the media in ../fixtures with Debian's ffmpeg (apt-get install ffmpeg): one small
# file per limit of spec/media-limits.json, plus the formats the check must read. The outputs are
# committed; CI never runs this script. Every video is a flat colour at the lowest quality, so
# even the 310 s clip and the 4K one stay tiny (the limits concern metadata, not pictures).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out="$here/../fixtures"
mkdir -p "$out"

quiet="-hide_banner -loglevel error -y"
exact="-map_metadata -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact"

# video <name> <size> <fps> <seconds> [extra ffmpeg output options...]: with a mono AAC track.
video() {
  name=$1 size=$2 fps=$3 seconds=$4
  shift 4
  # shellcheck disable=SC2086
  ffmpeg $quiet -f lavfi -i "color=c=0x336699:size=$size:rate=$fps:duration=$seconds" \
    -f lavfi -i "sine=frequency=440:sample_rate=16000:duration=$seconds" \
    -pix_fmt yuv420p -c:a aac -b:a 16k -ac 1 -g 9999 $exact "$@" -shortest "$out/$name"
}

# silent_video <name> <size> <fps> <seconds> [extra options...]: no audio, for the long clips,
# whose bytes would otherwise be mostly sound.
silent_video() {
  name=$1 size=$2 fps=$3 seconds=$4
  shift 4
  # shellcheck disable=SC2086
  ffmpeg $quiet -f lavfi -i "color=c=0x336699:size=$size:rate=$fps:duration=$seconds" \
    -pix_fmt yuv420p -an -g 9999 $exact "$@" "$out/$name"
}

h264="-c:v libx264 -preset veryslow -crf 51"
h265="-c:v libx265 -preset fast -crf 51 -tag:v hvc1 -x265-params log-level=error"

# Within every refuse limit: H.264 and H.265 MP4s, MOV, AVI, and an MP4 with moov at the end.
# shellcheck disable=SC2086
video ok-h264.mp4 640x640 25 3 $h264 -movflags +faststart
# shellcheck disable=SC2086
video ok-h265.mp4 640x640 25 3 $h265 -movflags +faststart
# shellcheck disable=SC2086
video ok.mov 1280x720 25 3 $h264 -movflags +faststart
# shellcheck disable=SC2086
video ok.avi 640x640 25 3 $h264
# shellcheck disable=SC2086
video moov-at-end.mp4 640x640 25 3 $h264
# One limit broken each.
# shellcheck disable=SC2086
video too-short.mp4 640x640 25 1.5 $h264 -movflags +faststart
# shellcheck disable=SC2086
silent_video warn-130s.mp4 640x640 15 130 $h264 -movflags +faststart
# shellcheck disable=SC2086
silent_video too-long-310s.mp4 640x640 15 310 $h264 -movflags +faststart
# shellcheck disable=SC2086
video fps-10.mp4 640x640 10 3 $h264 -movflags +faststart
# shellcheck disable=SC2086
video small-320x240.mp4 320x240 25 3 $h264 -movflags +faststart
# shellcheck disable=SC2086
video uhd-3840x2160.mp4 3840x2160 25 3 $h264 -movflags +faststart
# A codec outside H.264/H.265 (MPEG-4 Part 2) in an allowed container.
video mpeg4-part2.mp4 640x640 25 3 -c:v mpeg4 -b:v 20k -movflags +faststart
# A container outside MP4/AVI/MOV.
video not-allowed.mkv 640x640 25 3 -c:v libx264 -preset veryslow -crf 51

# audio <name> <seconds> <ffmpeg codec options...>
audio() {
  name=$1 seconds=$2
  shift 2
  # shellcheck disable=SC2086
  ffmpeg $quiet -f lavfi -i "sine=frequency=220:sample_rate=16000:duration=$seconds" -ac 1 $exact "$@" "$out/$name"
}
audio speech.wav 3 -c:a pcm_s16le
audio speech.mp3 3 -c:a libmp3lame -b:a 32k
audio speech.aac 3 -c:a aac -b:a 32k -f adts
audio too-short.wav 1.5 -c:a pcm_s16le
audio too-long-310s.mp3 310 -ar 8000 -c:a libmp3lame -b:a 8k
audio not-allowed.ogg 3 -c:a libvorbis -q:a 0

# image <name> <size> [extra options...]
image() {
  name=$1 size=$2
  shift 2
  # shellcheck disable=SC2086
  ffmpeg $quiet -f lavfi -i "color=c=0x996633:size=$size" -frames:v 1 $exact "$@" "$out/$name"
}
image ref.jpg 512x512 -q:v 10
image ref.png 512x384
image ref.bmp 64x48 -pix_fmt bgr24
image ref.webp 512x512 -c:v libwebp -quality 10
image wide-3x1.png 900x300
image huge-5000x2500.png 5000x2500
image not-allowed.gif 64x64

# Not media at all: text in a file named like a video.
printf 'This is a text file, not a video.\n' > "$out/not-media.mp4"

ls -l "$out"
du -sh "$out"
