/* vprobe: what a video file (MP4 with H.264, or MPEG-TS) holds. */
#ifndef SP_VPROBE_H
#define SP_VPROBE_H

#include <stddef.h>
#include <jansson.h>

/* 1 when the file at path is MPEG-TS or an MP4 with a video track (the
 * content says, not the name), 0 when not, -1 when it cannot be read. */
int	sp_vprobe_is_video(const char *path);
/* 1 when the file at path is MPEG-TS, 0 when not, -1 when unreadable. */
int	sp_vprobe_is_ts(const char *path);

/*
 * The media record of a video file: "container" ("mp4" or "mpegts"), the
 * audio as for audio files at the top ("codec", "profile", "sample_rate",
 * "channels", "frames", "samples", "duration": exact, from the frame count
 * or the edit list), and a "video" object: "codec", "profile", "level",
 * "width", "height", "frame_rate" (when the stream says), "frames",
 * "duration" (exact: the presented span, or the edit), "start" (seconds
 * after the earliest track), "keyframes", "keyframe_interval" (mean
 * seconds between them) and "keyframe_interval_max", "b_frames".  A new
 * record, or NULL with err.
 */
json_t	*sp_vprobe(const char *path, const char *name, char *err,
	    size_t errlen);

#endif
