# `cd DIR && …` for the whole RUN is reported; a cd back, several cds, a lone cd, a dynamic dir
# or a cd later in the RUN are not.
FROM debian:12
RUN cd /src && make && make install
RUN cd /tmp && curl -O x && cd / && rm -rf /tmp/x
RUN cd /src
RUN cd "$DIR" && make
RUN make && cd /x && ls
