# Mix: mix.exs and mix.lock first; `mix local.hex` may share the RUN.
FROM elixir:1.16
WORKDIR /app
COPY . .
RUN mix local.hex --force && mix deps.get --only prod
