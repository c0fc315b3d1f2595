# With SHELL bash and no pipefail, a RUN with a pipeline is reported; sh stages, SHELL with
# -o pipefail and RUNs that set it are not.
FROM debian:12
RUN curl -fsSL https://example.com/x | tar -xz
SHELL ["/bin/bash", "-c"]
RUN curl -fsSL https://example.com/x | tar -xz
RUN set -o pipefail && curl -fsSL https://example.com/x | tar -xz
FROM debian:12 AS b
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/x | tar -xz
