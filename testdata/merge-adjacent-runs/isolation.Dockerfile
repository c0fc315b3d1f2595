# Fixes with isolation and grouping: a RUN that changes the shell (cd, export, assignment,
# set, exit) runs in ( ); a later RUN with a top-level `;` or `||` is grouped in { ; }.
FROM alpine:3.19
RUN cd /src && ./configure
# build
RUN make -C /src
RUN export A=1; echo $A
RUN B=2
RUN set -e; test -f /x
RUN test -f /y || exit 0
RUN echo last; echo one
