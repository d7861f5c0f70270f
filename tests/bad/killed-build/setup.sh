# a build killed with SIGKILL half way through writing; beside the output,
# look-alikes of its temporary folder that the next build must leave alone
a=site/content/articles
python3 - <<'PY'
for i in range(1000):
    with open("site/content/articles/b%d.md" % i, "w") as f:
        f.write('---\ntitle: "Brief %d"\ndate: 2017-09-%02d\ntopics: [T%d]\n---\nBody %d.\n'
                % (i, 1 + i % 28, i % 40, i))
PY
note=site/public/.briefing-output
mkdir site/.public.tmp-nomark && echo "no marker" > site/.public.tmp-nomark/keep.txt
mkdir site/.public.tmp-othern && echo "another tool's note" > site/.public.tmp-othern/.briefing-output
echo "a file, not a folder" > site/.public.tmp-afile0
mkdir elsewhere && cp $note elsewhere/ && ln -s ../elsewhere site/.public.tmp-symlnk
mkdir site/.public.tmp-short && cp $note site/.public.tmp-short/  # not six letters
mkdir site/.other.tmp-abcdef && cp $note site/.other.tmp-abcdef/  # another output's
# a running build's folder: its marker is locked (by flock here)
mkdir site/.public.tmp-live00 && cp $note site/.public.tmp-live00/
flock site/.public.tmp-live00/.briefing-output sleep 300 >/dev/null 2>&1 &
echo $! > "$T.locker"
