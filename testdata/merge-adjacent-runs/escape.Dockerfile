# escape=`
# Fixes with the file's escape character.
FROM mcr.microsoft.com/powershell:lts-ubuntu-22.04
SHELL ["/bin/sh", "-c"]
RUN echo a `
    && echo b
RUN echo c
