# hadolint shell=pwsh # before the first FROM: every stage's shell (as in hadolint)
# Nothing here is edited: no RUN or CMD is read as POSIX shell.
FROM registry.example.com/windows-base:2022 AS build
RUN pip install flask
RUN pip install requests
FROM registry.example.com/windows-base:2022
CMD echo done
