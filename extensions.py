"""Extensions created unbound; ``create_app`` binds them with ``init_app``."""

from __future__ import annotations

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate(compare_type=True)
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
