# Every spelling of a pip install gets the flag right after `install`.
FROM python:3.12
RUN pip install flask
RUN pip3 install -r requirements.txt \
    && python3 -m pip install --upgrade pip setuptools
RUN /opt/venv/bin/pip --disable-pip-version-check install gunicorn
RUN python3.12 -u -m pip install uvicorn
RUN "$VIRTUAL_ENV"/bin/pip install -e . && pip3.12 install wheel
