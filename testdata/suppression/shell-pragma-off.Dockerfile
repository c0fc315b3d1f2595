# hadolint shell=pwsh # before the first FROM: every stage's shell (as in hadolint)
# With `hadolint-pragmas = false` (shell-pragma-off.toml) the pragma counts for nothing: fixed.
FROM registry.example.com/windows-base:2022 AS build
RUN pip install flask
RUN pip install requests
FROM registry.example.com/windows-base:2022
CMD echo done
