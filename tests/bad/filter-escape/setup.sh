# a module beside the site that require("../../outside") would load
echo 'briefing.log.warn("OUTSIDE LOADED") return {}' > outside.lua
