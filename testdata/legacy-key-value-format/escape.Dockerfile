# escape=`
# With the backquote escape, unquoted blanks are escaped with it (the value holds quotes).
FROM debian:12
ENV MSG say "hi there" now
