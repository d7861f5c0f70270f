kill "$(cat "$T.locker")" 2>/dev/null
rm -f "$T.locker"
