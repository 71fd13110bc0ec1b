"""The marketplace's pages, under the "marketplace" namespace: the find-support page, shortlists, enquiries,
and orders and invoices."""

from marketplace.complaint_urls import urlpatterns as complaint_urlpatterns
from marketplace.dataprotection.urls import urlpatterns as dataprotection_urlpatterns
from marketplace.enquiry_urls import urlpatterns as enquiry_urlpatterns
from marketplace.family_urls import urlpatterns as family_urlpatterns
from marketplace.find_support_urls import urlpatterns as find_support_urlpatterns
from marketplace.insights.urls import urlpatterns as insights_urlpatterns
from marketplace.order_request_urls import urlpatterns as order_request_urlpatterns
from marketplace.order_urls import urlpatterns as order_urlpatterns
from marketplace.pa_advert_urls import urlpatterns as pa_advert_urlpatterns
from marketplace.package_urls import urlpatterns as package_urlpatterns
from marketplace.review_urls import urlpatterns as review_urlpatterns
from marketplace.service_fund_urls import urlpatterns as service_fund_urlpatterns
from marketplace.shortlist_urls import urlpatterns as shortlist_urlpatterns

app_name = "marketplace"

urlpatterns = [*find_support_urlpatterns, *shortlist_urlpatterns, *enquiry_urlpatterns, *order_urlpatterns]
urlpatterns += review_urlpatterns
urlpatterns += complaint_urlpatterns
urlpatterns += service_fund_urlpatterns
urlpatterns += package_urlpatterns
urlpatterns += family_urlpatterns
urlpatterns += insights_urlpatterns
urlpatterns += pa_advert_urlpatterns
urlpatterns += order_request_urlpatterns
urlpatterns += dataprotection_urlpatterns
