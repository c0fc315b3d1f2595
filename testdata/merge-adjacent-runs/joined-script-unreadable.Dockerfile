FROM debian:bookworm
RUN echo a
# tree-sitter-bash reads each RUN alone but not `echo a && { echo { ; }. ; }`
RUN echo { ; }.
