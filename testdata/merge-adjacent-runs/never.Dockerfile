# Never merged (statistics, no finding): instruction between, different flags, exec form,
# heredoc, ONBUILD, pragma on the second RUN, login shell.
FROM debian:12
RUN echo a
ENV X=1
RUN echo b
RUN --mount=type=cache,target=/root/.cache echo c
RUN ["echo", "d"]
RUN <<EOT
echo e
EOT
RUN echo f
# hadolint ignore=DL3059
RUN echo g
ONBUILD RUN echo h
ONBUILD RUN echo i
FROM debian:12 AS login
SHELL ["/bin/bash", "-l", "-c"]
RUN echo j
RUN echo k
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN echo l
RUN echo m
