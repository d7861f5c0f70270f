# a data file that is a symlink to a file outside the site, read by a
# filter (which reports what it got); a data file linking inside is fine
printf 'secret: SECRET\n' > outside.yml
mkdir -p site/data site/scripts
ln -s ../../outside.yml site/data/secret.yml
printf 'fine: yes\n' > site/data/real.yml
ln -s real.yml site/data/alias.yml
cat > site/scripts/reads.lua <<'LUA'
local ok, e = pcall(briefing.data, "secret")
briefing.log.warn("secret: " .. tostring(ok) .. ", " .. tostring(e))
briefing.log.warn("alias: " .. tostring(briefing.data("alias").fine))
return {}
LUA
