check "$case_name: os.execute did not run" test ! -e pwned -a ! -e site/pwned
check "$case_name: no page outside the output" test ! -e escape -a ! -e /tmp/escape
