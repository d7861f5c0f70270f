# symlink loops: a folder that links to its parent, two links to each
# other, a link to itself
a=site/content/articles
mkdir -p $a/loop
ln -s .. $a/loop/up
ln -s ping.md $a/pong.md
ln -s pong.md $a/ping.md
ln -s self.md $a/self.md
