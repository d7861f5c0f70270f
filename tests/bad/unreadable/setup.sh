# an unreadable article and an unreadable folder. Root reads them anyway,
# so the build runs as the unprivileged user nobody (setpriv); without
# root or setpriv the case is skipped.
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null || ! id nobody >/dev/null 2>&1; then
	echo "needs root and setpriv to run the build as nobody"
	exit 77
fi
a=site/content/articles
printf -- '---\ntitle: "Secret"\ndate: 2017-10-01\n---\nBody\n' > $a/secret.md
mkdir -p $a/locked
printf -- '---\ntitle: "Locked"\ndate: 2017-10-01\n---\nBody\n' > $a/locked/inside.md
chown -R nobody "$T"
chmod 755 "$TMP"
chmod 000 $a/secret.md $a/locked
if setpriv --reuid=nobody --regid=nogroup --clear-groups cat $a/secret.md >/dev/null 2>&1; then
	echo "nobody can read a file of mode 000 here"
	exit 77
fi
