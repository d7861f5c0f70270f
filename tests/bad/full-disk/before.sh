# a full disk: the output lives on a 200 KB tmpfs, enough for the small
# site but not for it plus a 400 KB article. Where no tmpfs can be
# mounted (not root, no mount namespace), file writes are limited with
# RLIMIT_FSIZE instead (prlimit --fsize, SIGXFSZ ignored), so writes fail
# with EFBIG rather than ENOSPC (BAD_NO_MOUNT=1 forces this).
mkdir -p disk
if [ -z "$BAD_NO_MOUNT" ] && mount -t tmpfs -o size=200k briefing-test disk 2>/dev/null; then
	echo tmpfs > "$T.mode"
elif command -v prlimit >/dev/null 2>&1; then
	echo fsize > "$T.mode"
else
	echo "cannot mount a tmpfs nor limit file sizes here"
	exit 77
fi
