# Unknown or old Poetry, and Pipenv: advice only, nothing is edited.
FROM python:3.12
RUN pip install poetry && poetry install
FROM python:3.12
RUN pip install poetry==1.1.15 && poetry install
FROM python:3.12
RUN pipenv install --system --deploy
COPY --from=0 /etc/hostname /stage0
COPY --from=1 /etc/hostname /stage1
