[ "$(cat "$T.mode" 2>/dev/null)" = tmpfs ] && umount "$T/disk"
rm -f "$T.mode"
