from django.contrib import admin

from .models import Department, Employee, Heartbeat, Position, Site, Team

admin.site.register([Site, Department, Team, Position, Employee, Heartbeat])
