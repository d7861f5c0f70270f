check "$case_name: nothing from outside the site in the output" sh -c "! grep -rq SECRET '$OUT'"
